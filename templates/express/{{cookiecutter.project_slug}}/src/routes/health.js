/** The health check, with a real round trip to the database. */
import { Router } from 'express';
import { methodNotAllowed } from '../http/methods.js';

export function healthRouter({ db }) {
  const router = Router();
  router
    .route('/health')
    .get(async (req, res) => {
      try {
        await db.ping();
      } catch (error) {
        req.log.warn({ reason: error.cause?.message ?? error.message }, 'health check failed');
        res.status(503).json({ status: 'error', database: 'unavailable' });
        return;
      }
      res.json({ status: 'ok', database: 'ok' });
    })
    .all(methodNotAllowed('GET', 'HEAD'));
  return router;
}
