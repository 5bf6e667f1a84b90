"""Reader accounts apart from HTTP: password hashing and rules (``passwords``,
``password_rules``), signed reset, sign-up and device tokens (``tokens``) and the mails
accounts send (``mails``). The pages are ``web/accounts.py``, the rows
``store/site/accounts.py``; the command line (``newsdesk users``) and the benches use
these too."""
