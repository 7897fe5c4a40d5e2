import type { Request, Response } from 'express';
import type { z } from 'zod/v4';
import type { Actor } from '../domain/actor';
import type { SessionPrincipal } from '../accounts/principal';
import type { ApiKey } from '../domain/keys';
import type { Scope } from '../domain/scopes';

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The calling API key; null when a dashboard session (or nobody, on public routes) made the request. */
  key: ApiKey | null;
  /** The signed-in user, when a dashboard session made the request. */
  session: SessionPrincipal | null;
  /** Who acts. On `public` routes nobody has signed in: no workspace, no scopes. */
  actor: Actor;
  req: Request;
  res: Response;
}

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * One API route, declared once: it drives the Express router and the OpenAPI document.
 * A handler returns the response body; when it has written the response itself (binary, streams) it returns nothing.
 */
export interface RouteSpec<
  PS extends z.ZodType | undefined = z.ZodType | undefined,
  QS extends z.ZodType | undefined = z.ZodType | undefined,
  BS extends z.ZodType | undefined = z.ZodType | undefined,
> {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  /** Required scope; null: any valid key or session (admin implies every scope). */
  scope: Scope | null;
  /**
   * Who may call it. Default: an API key, or a dashboard session with its role's scopes. `public`: no credential,
   * limited per client address, and cross-site browser requests refused (sign-in, setup, invitations). `session`: a
   * dashboard session only (its own session list, sign-out).
   */
  access?: 'public' | 'session';
  /** A publishable key (mk_pub_…) may call it, from its workspace's allowed origins (CORS). */
  publishable?: boolean;
  summary: string;
  description?: string;
  tag: string;
  params?: PS;
  query?: QS;
  body?: BS;
  response?: z.ZodType;
  /** Request content types of a route that reads its body itself (file uploads), for the OpenAPI document. */
  accepts?: string[];
  /** Extra response content types for the OpenAPI document (e.g. image/png). */
  produces?: string[];
  status?: number;
  /** Another success status the handler answers with the same body (e.g. 200 for an idempotent repeat of a 201). */
  otherSuccess?: { status: number; description: string };
  handler(ctx: RouteContext<Output<PS>, Output<QS>, Output<BS>>): Promise<unknown>;
}

export type AnyRoute = RouteSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>;

/** Identity function that keeps the handler's types tied to the route's schemas. */
export function defineRoute<
  PS extends z.ZodType | undefined = undefined,
  QS extends z.ZodType | undefined = undefined,
  BS extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<PS, QS, BS>): AnyRoute {
  return spec as unknown as AnyRoute;
}
