// The Fastify app: content types, validation, problems, metrics, docs, and every route.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController } from 'fastify';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { randomPoolBytes } from '../ids.ts';
import { registerBodyReading } from './body-reading.ts';
import { registerInputTextCheck } from './input-text.ts';
import { registerMetrics } from './metrics.ts';
import type { ApiActivity } from './api-activity.ts';
import type { Metrics } from './metrics.ts';
import { registerProblemHandlers, sendProblem } from './problem.ts';
import { AppError } from '../errors.ts';
import { createValidatorCompiler } from './validation.ts';
import { registerBodyLimit } from './body-limit.ts';
import { documentRoute, nameSchemas } from './openapi.ts';

export interface HttpServerOptions {
  logger: Logger;
  bodyLimitBytes: number;
  /** Proxies whose X-Forwarded-For gives the caller's address (request.ip); unset: the TCP peer. */
  trustProxy?: string[];
  publicUrl: string;
  metrics: Metrics;
  /** Registers the API's routes (called after docs and error handling are in place). */
  routes: (app: FastifyInstance) => Promise<void>;
  /** Told when each request begins and ends (webhook delivery yields to the API's requests). */
  activity?: ApiActivity;
}

export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimitBytes,
    ...(options.trustProxy && { trustProxy: options.trustProxy }),
    genReqId: () => `req_${randomPoolBytes(12).toString('base64url')}`,
    // One log line per request, ours (onResponse below), without headers or bodies.
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true },
    ajv: { customOptions: { strict: false } },
    return503OnClosing: true,
    // Errors met before a route runs (a malformed URL, an over-long path parameter) are problems too.
    frameworkErrors: (error, _request, reply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      const code = status === 414 ? 'URI_TOO_LONG' : 'BAD_REQUEST';
      return sendProblem(reply as unknown as FastifyReply, new AppError(code, status === 414 ? 'URI too long' : 'Bad request', error.message));
    },
    // Requests Node's HTTP parser rejects (a bad Content-Length, broken headers) never reach
    // Fastify: answer them with a problem body too, then close.
    clientErrorHandler: (error, socket) => {
      if (!socket.writable) return socket.destroy(error);
      const body = JSON.stringify({
        type: 'urn:payrail:problem:bad-request',
        title: 'Bad request',
        status: 400,
        code: 'BAD_REQUEST',
        detail: 'The HTTP request could not be parsed',
      });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  }) as unknown as FastifyInstance;

  app.setValidatorCompiler(createValidatorCompiler());
  // JSON only (plus what a route adds, like the form body of the token endpoint): anything else,
  // text/plain included, is 415 rather than a string that fails validation later.
  app.removeContentTypeParser('text/plain');
  // Bodies are UTF-8 and JSON is not nested absurdly deep, whatever the route; no text with
  // control characters reaches a route's pre-handlers or handler (issue #18).
  registerBodyReading(app);
  registerInputTextCheck(app);
  const activity = options.activity;
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    if (activity) {
      activity.begin();
      // 'close' comes once per response, sent or cut off.
      reply.raw.once('close', activity.end);
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ method: request.method, url: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
  registerProblemHandlers(app);
  registerBodyLimit(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'payrail',
        version: '1.0.0',
        description: 'Payments gateway for Hong Kong and Singapore bank rails. Errors are RFC 9457 problems; see the error catalogue in docs/ERRORS.md.',
      },
      servers: [{ url: options.publicUrl }],
      // Every operation is authenticated unless it says `security: []` (documentRoute does for public ones).
      security: [{ bearer: [] }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          oauth2: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: `${options.publicUrl}/v1.0/auth`, scopes: {} } } },
          // A console admin user's session (docs/CONSOLE.md): PUT /v1/approval-policy, GET /v1/audit-log.
          consoleSession: { type: 'apiKey', in: 'cookie', name: 'payrail_session' },
        },
      },
    },
    // Named schemas, public routes, documented problems, no console (src/http/openapi.ts).
    transform: documentRoute,
    transformObject: (document) => nameSchemas(('openapiObject' in document ? document.openapiObject : document.swaggerObject) as Record<string, unknown>),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // The root says where things are (it was a 404): the API's base URL and its reference.
  app.get('/', { schema: { hide: true } }, async () => ({
    name: 'payrail',
    api: options.publicUrl,
    docs: `${options.publicUrl}/docs`,
    openapi: `${options.publicUrl}/openapi.json`,
    health: `${options.publicUrl}/healthz`,
  }));
  registerMetrics(app, options.metrics);
  await options.routes(app);
  return app;
}
