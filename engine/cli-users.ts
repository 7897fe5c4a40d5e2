import { type Command, InvalidArgumentError, Option } from 'commander';
import type { z } from 'zod/v4';
import { password as passwordInput } from './contracts/auth';
import { requiredText } from './contracts/common';
import { email as emailInput } from './contracts/members';
import { ROLES, type Role } from './domain/members';
import { isLocalHost } from './domain/workspaces';
import type { Engine } from './index';
import { partsOf } from './wiring/index';
import { withEngine } from './cli-engine';

/** An argument checked by the same schema as the API field. */
const checked = <S extends z.ZodType>(schema: S) => (value: string): z.output<S> => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'invalid');
  return parsed.data;
};

/** Where links printed by the CLI point: the instance domain (http:// for localhost, https:// otherwise). */
function linkBase(engine: Engine): string {
  const domain = engine.config.defaultDomain;
  return `${isLocalHost(domain.replace(/:\d+$/, '')) ? 'http' : 'https'}://${domain}${engine.config.dashboardPath}`;
}

/** `mask users create` and `mask users reset-password`: dashboard accounts from the command line. */
export function addUserCommands(program: Command, print: (line?: string) => void): void {
  const users = program.command('users').description('Manage dashboard accounts (sign-in with email and password)');
  users
    .command('create')
    .description('Create an account and make it a member of a workspace; without --password, print a one-time link to set one')
    .requiredOption('--email <email>', 'email address (one account per address)', checked(emailInput))
    .requiredOption('--name <name>', 'display name', checked(requiredText(200)))
    .requiredOption('--workspace <id>', 'workspace id (ws_…)')
    .addOption(new Option('--role <role>', 'role in the workspace').choices(ROLES).default('member'))
    .option('--password <password>', 'set this password (10–200 characters) instead of printing a link', checked(passwordInput))
    .action((options: { email: string; name: string; workspace: string; role: Role; password?: string }) =>
      withEngine(async (engine) => {
        const { user, token } = await partsOf(engine).accounts.createUser({
          email: options.email,
          name: options.name,
          workspaceId: options.workspace,
          role: options.role,
          password: options.password,
        });
        print(`Created ${user.id} ${user.email} (${options.role} of ${options.workspace}).`);
        if (token) print(`Set its password with this one-time link (valid 24 hours): ${linkBase(engine)}/setup?token=${token}`);
      }),
    );
  users
    .command('reset-password')
    .description('Print a one-time link to set a new password, or set --password directly (ends every session either way once used)')
    .requiredOption('--email <email>', 'the account', checked(emailInput))
    .option('--password <password>', 'set this password (10–200 characters) instead of printing a link', checked(passwordInput))
    .action((options: { email: string; password?: string }) =>
      withEngine(async (engine) => {
        const { user, token } = await partsOf(engine).accounts.resetPassword(options.email, options.password);
        if (token) print(`One-time link to set the password of ${user.email} (valid 24 hours): ${linkBase(engine)}/setup?token=${token}`);
        else print(`Password of ${user.email} set; every session of the account has ended.`);
      }),
    );
}
