-- Webhook deliveries as durable jobs (an outbox). A push writes one row per active receiver in
-- the transaction that records the push, so a delivery exists exactly when its push does, and a
-- restart or crash loses none: every server process polls this table and claims due rows with
-- FOR UPDATE SKIP LOCKED, so several processes never attempt one delivery at once.
--
-- A claim is a lease: it moves next_attempt_at past the attempt's timeout and writes a fresh
-- claim token, and only the holder of that token may record the attempt's outcome. A process that
-- dies mid-attempt leaves the row to be claimed again once the lease runs out; the interrupted
-- attempt does not count against the receiver. The delivery id travels with every attempt, so a
-- receiver drops a repeat. Every attempt is also written to monitoring_delivery (the log).
CREATE TABLE webhook_outbox (
  delivery_id      text PRIMARY KEY,
  push_id          bigint NOT NULL,
  webhook_id       bigint NOT NULL,
  -- Where it goes (the receiver's URL when the push was made) and the event header.
  url              text NOT NULL,
  event            text NOT NULL,
  -- The exact body signed and sent; each attempt signs "<its timestamp>.<body>" with the
  -- webhook's secret, read from monitoring_webhook when the attempt is made.
  body             text NOT NULL,
  attempts         integer NOT NULL DEFAULT 0,
  max_attempts     integer NOT NULL CHECK (max_attempts >= 1),
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  status           text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'delivered', 'failed')),
  claim            text,
  last_status_code integer,
  last_error       text,
  last_attempt_at  timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (push_id, webhook_id)
);

-- The pollers' scan: due pending rows only.
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at) WHERE status = 'pending';
