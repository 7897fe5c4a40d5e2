import { z } from 'zod/v4';
import { errorResponse } from '../contracts/common';
import type { AnyRoute } from './route';

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = schemaOf(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

const ERROR_STATUSES: Record<string, string> = {
  '400': 'Malformed request (invalid JSON, bad cursor)',
  '401': 'Missing, invalid or revoked API key',
  '403': 'The key lacks the required scope, or a plan limit is reached (see error.limit)',
  '404': 'Not found',
  '422': 'Validation failed; see error.details',
  '429': 'Rate limit exceeded',
};

/** The OpenAPI 3.1 document, generated from the same route declarations that drive the router. */
/** A file upload: the raw body, or a multipart form with the file in its `file` field. */
const uploadSchema = (type: string): JsonSchema =>
  type === 'multipart/form-data'
    ? { type: 'object', required: ['file'], properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } } }
    : { type: 'string', contentMediaType: type };

export function buildOpenApiDocument(routes: AnyRoute[], info: { version: string; serverUrl?: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const status = String(route.status ?? 200);
    const content: Record<string, unknown> = {};
    if (route.response) content['application/json'] = { schema: schemaOf(route.response, 'output') };
    for (const type of route.produces ?? []) content[type] = { schema: { type: 'string', contentMediaType: type } };
    const errors = Object.fromEntries(
      Object.entries(ERROR_STATUSES).map(([code, description]) => [
        code,
        { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      ]),
    );
    paths[path] ??= {};
    paths[path][route.method] = {
      operationId: `${route.method}${route.path.replace(/[/:_-]+(\w)/g, (_, c: string) => c.toUpperCase())}`,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      'x-required-scope': route.access === 'public' ? 'none' : route.access === 'session' ? 'session' : (route.scope ?? 'any'),
      ...(route.access === 'public' ? { security: [] } : route.access === 'session' ? { security: [{ sessionCookie: [] }] } : {}),
      parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
      ...(route.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(route.body, 'input') } } } }
        : route.accepts
          ? { requestBody: { required: true, content: Object.fromEntries(route.accepts.map((type) => [type, { schema: uploadSchema(type) }])) } }
          : {}),
      responses: {
        [status]: { description: 'Success', ...(Object.keys(content).length ? { content } : {}) },
        ...(route.otherSuccess ? { [String(route.otherSuccess.status)]: { description: route.otherSuccess.description, content } } : {}),
        ...errors,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'MASK API',
      version: info.version,
      description: 'Short links, redirects, click analytics, QR codes, bio pages and signed webhooks.',
    },
    servers: [{ url: info.serverUrl ?? '/api/v1' }],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }, { sessionCookie: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'mk_live_… or mk_test_… API key' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'mask_session',
          description: 'Dashboard session (`__Host-mask_session` over HTTPS); state-changing requests also need X-CSRF-Token',
        },
      },
      schemas: { Error: schemaOf(errorResponse, 'output') },
    },
  };
}
