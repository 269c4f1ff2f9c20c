"""E-mails the cooperative sends, queued in the database and sent by ``coopkit collect``.

:func:`coopkit.outbox.queue.queue_email` stores a message with its
attachments in the sender's transaction, so a letter and its e-mail are
recorded together or not at all; :func:`coopkit.outbox.sending.send_outbox`
sends what is queued, over SMTP when ``COOPKIT_SMTP_URL`` is set, else as
``.eml`` files in ``COOPKIT_OUTBOX_DIR`` (development).
"""
