import { useState } from 'preact/hooks';
import { ApiError, type Role } from '../api';
import { team, type Invitation, type Member } from '../api-admin';
import { Confirm, LoadError, PageHead, TableRegion, useResource } from '../components/common';
import { CopyButton } from '../components/CopyButton';
import { describe, Field, FormError } from '../components/Field';
import { Loading } from '../components/Loading';
import { toast } from '../components/Toasts';
import { formatDate, formatDateTime } from '../format';
import { useApp } from '../session';
import { errorText } from './SignIn';
import '../admin.css';

const ROLES: Role[] = ['owner', 'admin', 'member', 'viewer'];

type Modal = { kind: 'remove' | 'transfer'; member: Member } | { kind: 'leave'; member: Member } | { kind: 'revoke'; invitation: Invitation } | null;

export default function Team() {
  const app = useApp();
  const members = useResource(() => team.members());
  const invitations = useResource(() => (app.isAdmin ? team.invitations() : Promise.resolve({ data: [] as Invitation[] })));
  const [modal, setModal] = useState<Modal>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [invited, setInvited] = useState<{ email: string; url: string; mailed: boolean } | null>(null);
  const [busy, setBusy] = useState('');
  const me = members.data?.data.find((member) => member.email === app.session.user.email.toLowerCase());

  const invite = async (target: { email: string; role: Role }) => {
    setErrors({});
    setBusy('invite');
    try {
      const created = await team.invite(target);
      setInvited({ email: created.email, url: created.url, mailed: created.mailed });
      setEmail('');
      invitations.reload();
      return true;
    } catch (caught) {
      setErrors(caught instanceof ApiError && caught.details.length ? caught.fieldErrors(['email', 'role']) : { '': errorText(caught) });
      return false;
    } finally {
      setBusy('');
    }
  };

  const resend = async (invitation: Invitation) => {
    // The same invitation gets a new link (the old one stops working) and a fresh expiry, mailed again when mail is set up.
    try {
      const resent = await team.resendInvitation(invitation.id);
      setInvited({ email: resent.email, url: resent.url, mailed: resent.mailed });
      invitations.reload();
      toast(`A new invitation link for ${invitation.email} is ready`);
    } catch (caught) {
      toast(errorText(caught), 'error');
    }
  };

  const changeRole = async (member: Member, next: Role) => {
    try {
      await team.updateMember(member.id, { role: next });
      toast(`${member.name || member.email} is now ${next}`);
    } catch (caught) {
      toast(errorText(caught), 'error');
    }
    members.reload();
  };

  return (
    <>
      <PageHead title="Team">
        {me && (
          <button type="button" class="danger" onClick={() => setModal({ kind: 'leave', member: me })}>
            Leave workspace
          </button>
        )}
      </PageHead>
      <section class="card" aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        {members.error ? (
          <LoadError message={members.error} retry={members.reload} />
        ) : !members.data ? (
          <Loading label="Loading members…" />
        ) : (
          <TableRegion label="Members" columns={['Name', 'Email', 'Role', 'Since', '']}>
                {members.data.data.map((member) => (
                  <tr key={member.id}>
                    <th scope="row">
                      {member.name}
                      {member.id === me?.id && <span class="badge badge-active">you</span>}
                    </th>
                    <td>{member.email}</td>
                    <td>
                      {app.isAdmin && member.role !== 'owner' && member.id !== me?.id ? (
                        <select aria-label={`Role of ${member.email}`} value={member.role} onChange={(e) => void changeRole(member, e.currentTarget.value as Role)}>
                          {ROLES.filter((r) => r !== 'owner').map((r) => (
                            <option key={r}>{r}</option>
                          ))}
                        </select>
                      ) : (
                        member.role
                      )}
                    </td>
                    <td>{formatDate(member.created_at)}</td>
                    <td class="actions">
                      {app.role === 'owner' && member.role !== 'owner' && (
                        <button type="button" class="small" onClick={() => setModal({ kind: 'transfer', member })}>
                          Make owner<span class="visually-hidden"> {member.email}</span>
                        </button>
                      )}
                      {app.isAdmin && member.role !== 'owner' && member.id !== me?.id && (
                        <button type="button" class="small danger" onClick={() => setModal({ kind: 'remove', member })}>
                          Remove<span class="visually-hidden"> {member.email}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
          </TableRegion>
        )}
      </section>

      {app.isAdmin && (
        <section class="card" aria-labelledby="invite-title">
          <h2 id="invite-title">Invitations</h2>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void invite({ email: email.trim(), role });
            }}
            noValidate
          >
            <FormError message={errors['']} />
            <div class="inline-form">
              <Field id="invite-email" label="Email" error={errors.email}>
                <input {...describe('invite-email', errors.email)} type="email" autocomplete="off" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
              </Field>
              <Field id="invite-role" label="Role" error={errors.role}>
                <select {...describe('invite-role', errors.role)} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
                  <option value="admin">admin</option>
                  <option value="member">member</option>
                  <option value="viewer">viewer</option>
                </select>
              </Field>
              <button type="submit" class="primary" disabled={busy === 'invite'}>
                {busy === 'invite' ? 'Inviting…' : 'Invite'}
              </button>
            </div>
          </form>
          {invited && (
            <div class="notice" role="status">
              <p>
                Invitation for {invited.email} {invited.mailed ? 'mailed. You can also send them this link' : 'ready: send them this link'} (valid 7 days, shown
                once):
              </p>
              <p class="secret-row">
                <code class="mono secret-value">{invited.url}</code>
                <CopyButton text={invited.url} what="invitation link" />
              </p>
            </div>
          )}
          {invitations.error ? (
            <LoadError message={invitations.error} retry={invitations.reload} />
          ) : !invitations.data ? (
            <Loading label="Loading invitations…" />
          ) : invitations.data.data.length === 0 ? (
            <p class="muted">No pending invitations.</p>
          ) : (
            <TableRegion label="Pending invitations" columns={['Email', 'Role', 'Expires', '']}>
                  {invitations.data.data.map((invitation) => (
                    <tr key={invitation.id}>
                      <th scope="row">{invitation.email}</th>
                      <td>{invitation.role}</td>
                      <td>{formatDateTime(invitation.expires_at)}</td>
                      <td class="actions">
                        <button type="button" class="small" onClick={() => void resend(invitation)}>
                          Resend<span class="visually-hidden"> to {invitation.email}</span>
                        </button>
                        <button type="button" class="small danger" onClick={() => setModal({ kind: 'revoke', invitation })}>
                          Revoke<span class="visually-hidden"> invitation of {invitation.email}</span>
                        </button>
                      </td>
                    </tr>
                  ))}
            </TableRegion>
          )}
        </section>
      )}

      {modal?.kind === 'remove' && (
        <Confirm
          title={`Remove ${modal.member.email}?`}
          action="Remove member"
          onClose={() => setModal(null)}
          onConfirm={async () => {
            await team.removeMember(modal.member.id);
            toast(`Removed ${modal.member.email}`);
            members.reload();
          }}
        >
          <p>They lose access to this workspace at once; their sessions here end.</p>
        </Confirm>
      )}
      {modal?.kind === 'transfer' && (
        <Confirm
          title={`Make ${modal.member.email} the owner?`}
          action="Transfer ownership"
          onClose={() => setModal(null)}
          onConfirm={async () => {
            await team.transferOwnership(modal.member.id);
            toast(`${modal.member.email} now owns the workspace; you are an admin`);
            location.reload();
          }}
        >
          <p>There is one owner. You become an admin, and only the new owner can give ownership back.</p>
        </Confirm>
      )}
      {modal?.kind === 'leave' && (
        <Confirm
          title="Leave this workspace?"
          action="Leave workspace"
          onClose={() => setModal(null)}
          onConfirm={async () => {
            await team.leave();
            location.assign(document.baseURI);
          }}
        >
          <p>You lose access at once; an admin must invite you again to come back.</p>
        </Confirm>
      )}
      {modal?.kind === 'revoke' && (
        <Confirm
          title={`Revoke the invitation of ${modal.invitation.email}?`}
          action="Revoke invitation"
          onClose={() => setModal(null)}
          onConfirm={async () => {
            await team.revokeInvitation(modal.invitation.id);
            toast('Invitation revoked');
            invitations.reload();
          }}
        >
          <p>The link they received stops working.</p>
        </Confirm>
      )}
    </>
  );
}
