import assert from 'node:assert/strict';
import { get } from 'node:http';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

interface Operation {
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

interface OpenApiDocument {
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
}

interface Template {
  path: string;
  pattern: RegExp;
  parameters: number;
}

const DOCUMENT_ID = 'mask-openapi.json';
const JSON_TYPE = 'application/json';

/** `/links/{id}` as a pattern matching `/links/lnk_1`. */
function templateOf(path: string): Template {
  const source = path.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+');
  return { path, pattern: new RegExp(`^${source}$`), parameters: path.split('{').length - 1 };
}

/** A JSON pointer into the document, as a URI fragment. */
function pointer(...tokens: string[]): string {
  return tokens.map((token) => `/${encodeURIComponent(token.replace(/~/g, '~0').replace(/\//g, '~1'))}`).join('');
}

/**
 * The 2xx responses an OpenAPI 3.1 document declares, checked with ajv's JSON Schema 2020-12 dialect. `$ref`s resolve
 * against the whole document; each operation and status compiles once.
 */
export class ResponseContract {
  private readonly ajv = new Ajv2020({ allErrors: true, verbose: true, strictTypes: false });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly prefix: string;
  private readonly templates: Template[];

  constructor(private readonly document: OpenApiDocument) {
    addFormats(this.ajv);
    // OpenAPI 3.1's own schema keywords are annotations; the document's fields are not keywords of the root that
    // `$ref`s resolve against.
    this.ajv.addVocabulary(['discriminator', 'example', 'externalDocs', 'xml', ...Object.keys(document)]);
    this.ajv.addSchema(document, DOCUMENT_ID);
    this.prefix = document.servers?.[0]?.url ?? '';
    // Literal segments win over parameters: `/links/bulk` before `/links/{id}`.
    this.templates = Object.keys(document.paths).map(templateOf).sort((a, b) => a.parameters - b.parameters);
  }

  /** Fails when a 2xx answer of a documented operation has an undeclared status or a JSON body off its schema. */
  check(method: string, url: string, response: { status: number; headers: Headers; body: unknown }): void {
    if (response.status < 200 || response.status >= 300) return;
    const path = new URL(url, 'http://test.invalid').pathname;
    if (!path.startsWith(`${this.prefix}/`)) return;
    const verb = method.toLowerCase();
    const template = this.templates.find((t) => t.pattern.test(path.slice(this.prefix.length)) && this.document.paths[t.path][verb]);
    if (!template) return;
    const request = `${method.toUpperCase()} ${path} (${template.path})`;
    const declared = this.document.paths[template.path][verb].responses?.[String(response.status)];
    assert.ok(declared, `${request} answered ${response.status}, a status the OpenAPI document does not declare`);
    if (!(response.headers.get('content-type') ?? '').startsWith(JSON_TYPE)) return;
    assert.ok(declared.content?.[JSON_TYPE], `${request} answered ${response.status} with JSON; the OpenAPI document declares no JSON body`);
    const validate = this.validatorOf(template.path, verb, String(response.status));
    if (!validate(response.body)) {
      const errors = (validate.errors ?? []).map((e) => `  ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}, served ${JSON.stringify(e.data)?.slice(0, 200)}`);
      assert.fail(`${request} answered ${response.status} with a body off the OpenAPI response schema:\n${errors.join('\n')}`);
    }
  }

  private validatorOf(path: string, verb: string, status: string): ValidateFunction {
    const key = `${verb} ${path} ${status}`;
    let validate = this.validators.get(key);
    if (!validate) {
      const ref = `${DOCUMENT_ID}#${pointer('paths', path, verb, 'responses', status, 'content', JSON_TYPE, 'schema')}`;
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(key, validate);
    }
    return validate;
  }
}

const contracts = new Map<string, ResponseContract>();
/** A loopback address no test sends from, so fetching the document takes no test's allowance of keyless requests. */
const FETCH_FROM = '127.0.0.2';

function fetchDocument(baseUrl: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(`${baseUrl}/api/v1/openapi.json`, { localAddress: FETCH_FROM }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.on('end', () => (response.statusCode === 200 ? resolve(text) : reject(new Error(`GET /api/v1/openapi.json answered ${response.statusCode}: ${text}`))));
    }).on('error', reject);
  });
}

/** The contract an engine serves at /api/v1/openapi.json; engines serving the same document share one. */
export async function servedContract(baseUrl: string): Promise<ResponseContract> {
  const text = await fetchDocument(baseUrl);
  let contract = contracts.get(text);
  if (!contract) {
    contract = new ResponseContract(JSON.parse(text) as OpenApiDocument);
    contracts.set(text, contract);
  }
  return contract;
}
