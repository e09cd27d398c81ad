// The one place the browser talks to the Rampart API.
//
// * JSON in and out, cookies sent same-origin (the session is an HttpOnly cookie).
// * Unsafe methods carry X-CSRF-Token with the token of the current session.
// * Errors are RFC 9457 problem documents; they become an ApiError whose
//   fieldErrors map a JSON pointer (e.g. "/email") to its message.
// * Updates carry If-Match with the version they were based on (see ifMatch()).

import type { Page } from './types';

export const API = '/api/v1';

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly fieldErrors: Record<string, string>;
  /** Seconds from a Retry-After header, when the server sent one. */
  readonly retryAfter: number | null;

  constructor(init: {
    status: number;
    type?: string;
    title?: string;
    detail?: string;
    errors?: FieldError[];
    retryAfter?: number | null;
  }) {
    const title = init.title ?? 'The request failed';
    super(init.detail || title);
    this.name = 'ApiError';
    this.status = init.status;
    this.type = init.type ?? 'about:blank';
    this.title = title;
    this.detail = init.detail ?? '';
    this.retryAfter = init.retryAfter ?? null;
    this.fieldErrors = {};
    for (const e of init.errors ?? []) {
      // Keep the first message per field; several are rare and the first is the most useful.
      if (!(e.field in this.fieldErrors)) this.fieldErrors[e.field] = e.message;
    }
  }

  /** True when the problem type is urn:rampart:problem:<name>. */
  is(name: string): boolean {
    return this.type === `urn:rampart:problem:${name}`;
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** Remember the CSRF token of the current session (null after sign-out). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request answers 401 outside sign-in: the session has ended. */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

/** The If-Match value for a resource of the given version (its strong ETag). */
export function ifMatch(version: number | string): string {
  return `"${version}"`;
}

interface RequestOptions {
  body?: unknown;
  ifMatch?: string;
  /** Do not treat a 401 as the end of the session (sign-in itself, the session probe). */
  quiet401?: boolean;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface ApiResponse<T> {
  data: T;
  etag: string | null;
}

async function send<T>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (opts.ifMatch) headers['If-Match'] = opts.ifMatch;

  let res: Response;
  try {
    res = await fetch(API + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError({
      status: 0,
      title: 'The server could not be reached',
      detail: 'Check your connection and try again.',
    });
  }

  if (!res.ok) {
    const error = await problemOf(res);
    if (res.status === 401 && !opts.quiet401 && onUnauthenticated) onUnauthenticated();
    throw error;
  }
  const etag = res.headers.get('ETag');
  if (res.status === 204) return { data: undefined as T, etag };
  const text = await res.text();
  return { data: (text ? JSON.parse(text) : undefined) as T, etag };
}

async function problemOf(res: Response): Promise<ApiError> {
  const retry = res.headers.get('Retry-After');
  const retryAfter = retry !== null && /^\d+$/.test(retry.trim()) ? Number(retry) : null;
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = await res.json();
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's error page, say): fall back to the status line.
  }
  const errors = Array.isArray(body.errors)
    ? (body.errors as unknown[]).filter(
        (e): e is FieldError =>
          !!e && typeof (e as FieldError).field === 'string' && typeof (e as FieldError).message === 'string',
      )
    : [];
  return new ApiError({
    status: res.status,
    type: typeof body.type === 'string' ? body.type : undefined,
    title: typeof body.title === 'string' ? body.title : res.statusText || `Error ${res.status}`,
    detail: typeof body.detail === 'string' ? body.detail : undefined,
    errors,
    retryAfter,
  });
}

export const api = {
  async get<T>(path: string, opts?: RequestOptions): Promise<T> {
    return (await send<T>('GET', path, opts)).data;
  },
  /** GET that also returns the ETag, for a resource that will be updated. */
  getWithEtag<T>(path: string): Promise<ApiResponse<T>> {
    return send<T>('GET', path);
  },
  async post<T>(path: string, body?: unknown, opts?: RequestOptions): Promise<T> {
    return (await send<T>('POST', path, { ...opts, body })).data;
  },
  async put<T>(path: string, body?: unknown): Promise<T> {
    return (await send<T>('PUT', path, { body })).data;
  },
  /** PATCH needs the version it was based on; a stale one answers 412. */
  async patch<T>(path: string, body: unknown, etag: string): Promise<T> {
    return (await send<T>('PATCH', path, { body, ifMatch: etag })).data;
  },
  /** DELETE; a versioned resource needs the version it was based on (etag), like PATCH. */
  async delete(path: string, body?: unknown, etag?: string): Promise<void> {
    await send<void>('DELETE', path, { body, ifMatch: etag });
  },
};

/** Build a query string from the set values of params. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Every item of a paginated list, following next_cursor (for small directories). */
export async function listAll<T>(path: string, params: Record<string, string | null | undefined> = {}): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  // A bound keeps a server bug from looping forever: 50 pages of 200 is plenty for a directory.
  for (let page = 0; page < 50; page++) {
    const res: Page<T> = await api.get<Page<T>>(path + query({ ...params, limit: 200, cursor }));
    items.push(...res.items);
    cursor = res.next_cursor;
    if (!cursor) break;
  }
  return items;
}
