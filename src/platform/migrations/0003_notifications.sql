-- older-binaries-from: 2
-- Notifications: each person's in-app list, the outbox of deliveries (e-mail and webhooks) that
-- the delivery worker sends after the write that caused them has committed, and organisations'
-- webhooks. Only new tables: a binary that knows schema 2 can still use the database.

-- The in-app list. `incident_id` names the incident an entry is about, without a foreign key:
-- the platform knows nothing of incidents.
CREATE TABLE notifications (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  organisation_id TEXT,
  event TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT NOT NULL DEFAULT '',
  incident_id TEXT,
  created_at BIGINT NOT NULL,
  read_at BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id, id) WHERE read_at IS NULL;

-- An organisation's webhook. The secret is shared with the receiver and signs every delivery,
-- so it is stored as given (a digest could not sign); the API shows it once, at creation.
-- `events` is a comma-separated list of event types, "prefix.*" patterns, or "*".
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  events TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  -- What the last delivery attempt found, for the people who look after the receiver.
  last_delivery_at BIGINT,
  last_delivery_status TEXT,
  last_delivery_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhooks_organisation ON webhooks (organisation_id, id);

-- One row per message to send. E-mail: `target` is the address, `target_name` the person's name,
-- `body` the text; the message is composed when sent. Webhook: `target` is the webhook's id and
-- `body` the JSON document as it is signed and sent on every attempt.
-- A worker claims a row by setting `claim_token` and `claimed_until` (a lease): whichever app
-- server's UPDATE changes the row owns it, and a row whose lease ran out (its server died) is
-- claimed again. 'skipped' means there was nothing to send to (no SMTP relay, webhook deleted).
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
  target TEXT NOT NULL,
  target_name TEXT NOT NULL DEFAULT '',
  event TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  link TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  claim_token TEXT,
  claimed_until BIGINT,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
