"""The daily digest: building it, what changed, risks, mail delivery and cron."""
