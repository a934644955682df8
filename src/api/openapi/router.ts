import { Router } from 'express';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import { buildOpenApiDocument } from './document.js';

/**
 * Swagger UI loads its scripts, its init file and its stylesheet from /docs/ (no inline script);
 * its inline <style> and style attributes need 'unsafe-inline', its icons are data: URIs. The
 * app-wide policy's upgrade-insecure-requests would send those asset requests to https on a
 * plain-http deployment, so it is left out here.
 */
const docsPolicy = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'self'"],
  },
});

/** The page links its assets relatively (`./swagger-ui.css`), which only resolves under `/docs/`. */
const withTrailingSlash: RequestHandler = (req, res, next) => {
  const [path, query] = req.originalUrl.split('?');
  if (req.path !== '/' || path?.endsWith('/')) return next();
  // The matched mount path, not the raw URL: a redirect built from the URL could point off-site.
  res.redirect(301, `${req.baseUrl}/${query === undefined ? '' : `?${query}`}`);
};

/** Serves `GET /openapi.json` and Swagger UI at `/docs`, both from one document built at start-up. */
export const openApiRouter = (document: object = buildOpenApiDocument()): Router => {
  const router = Router();
  router.get('/openapi.json', (_req, res) => void res.json(document));
  // Swagger UI would otherwise send the document to validator.swagger.io for a badge.
  const options = { swaggerOptions: { validatorUrl: null } };
  router.use(
    '/docs',
    withTrailingSlash,
    docsPolicy,
    swaggerUi.serveFiles(document, options),
    swaggerUi.setup(document, options),
  );
  return router;
};
