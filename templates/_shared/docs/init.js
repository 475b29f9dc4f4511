// Starts Swagger UI on /docs; a file of its own, so the page's CSP needs no inline script.
window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' });
