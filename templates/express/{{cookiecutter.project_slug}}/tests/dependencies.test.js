import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// npm runs these on install, and `node-gyp rebuild` for a binding.gyp; npm 12 blocks both.
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];

/** The folder of every installed package, nested node_modules included. */
async function installedPackages(modules) {
  const found = [];
  for (const entry of await readdir(modules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const path = join(modules, entry.name);
    if (entry.name.startsWith('@')) {
      found.push(...(await installedPackages(path)));
    } else {
      found.push(path);
      if (existsSync(join(path, 'node_modules'))) found.push(...(await installedPackages(join(path, 'node_modules'))));
    }
  }
  return found;
}

test('when the dependencies are installed, then none of them needs an install script', async () => {
  const packages = await installedPackages(join(ROOT, 'node_modules'));
  const scripted = [];
  for (const path of packages) {
    if (!existsSync(join(path, 'package.json'))) continue;
    const { name, scripts = {} } = JSON.parse(await readFile(join(path, 'package.json'), 'utf8'));
    if (INSTALL_SCRIPTS.some((script) => script in scripts) || existsSync(join(path, 'binding.gyp'))) scripted.push(name);
  }

  assert.ok(packages.length > 0, 'node_modules is empty: run npm install first');
  assert.deepEqual(scripted, []);
});
