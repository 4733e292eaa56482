-- Card payments (issue 19; docs/architecture.md, Card payments): a payment of kind 'card' is charged
-- at the card processor and booked from its currency's card clearing account
-- (acct_external_card_<currency>, opened on first use like every external account) to the
-- merchant's account. Its row is 'pending' while the processor has not answered; the API shows it as
-- 'processing'.
ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_kind_check;
ALTER TABLE payments ADD CONSTRAINT payments_kind_check CHECK (kind IN ('payment', 'deposit', 'card'));
