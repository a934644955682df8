import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The headers of a JSON API (OWASP REST Security Cheat Sheet): nothing it answers is a page to
 * render, frame or run scripts in, so the policy allows nothing, and the headers that only speak
 * to HTML pages or to retired browsers and plug-ins (DNS prefetch, IE's download options, Flash's
 * cross-domain policies, the XSS auditor, origin-keyed agent clusters, the opener policy) are left
 * out: each costs every response its bytes and its setHeader. Swagger UI's page sets its own CSP.
 */
export const API_HEADERS: Readonly<HelmetOptions> = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: { policy: 'same-origin' },
  originAgentCluster: false,
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  xContentTypeOptions: true,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: { action: 'deny' },
  xPermittedCrossDomainPolicies: false,
  xPoweredBy: true,
  xXssProtection: false,
};

/**
 * Helmet's response headers, worked out once. Helmet runs a dozen small middlewares per request,
 * a cost even a cached order read pays in full; with options whose headers are the same for every
 * response, one dry run at start-up records them and each response gets them in one step.
 * Options whose headers vary (a CSP nonce from the request or response) are refused here: they
 * need `helmet()` itself.
 */
export const securityHeaders = (options?: Readonly<HelmetOptions>): RequestHandler => {
  const headers = new Map<string, string>();
  const removed: string[] = [];
  const seen = { req: false, res: false };
  const probe = <T extends object>(target: T, name: keyof typeof seen): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        if (!Reflect.has(object, property)) seen[name] = true;
        return Reflect.get(object, property, receiver) as unknown;
      },
    });
  const res = probe(
    {
      setHeader: (name: string, value: string | number | readonly string[]) =>
        void headers.set(name, String(value)),
      removeHeader: (name: string) => void removed.push(name),
    },
    'res',
  );
  let passed = false;
  let failure: unknown;
  try {
    helmet(options)(
      probe({}, 'req') as IncomingMessage,
      res as unknown as ServerResponse,
      (error?: unknown) => {
        passed = true;
        failure = error;
      },
    );
  } catch (error) {
    failure = error;
  }
  if (!passed || failure !== undefined || seen.req || seen.res) {
    throw new Error(
      'securityHeaders needs helmet options whose headers are the same on every response',
    );
  }
  return (_req, response, next) => {
    response.setHeaders(headers);
    for (const name of removed) response.removeHeader(name);
    next();
  };
};
