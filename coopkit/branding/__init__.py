"""A cooperative's look on its pages: display name, logo and colours (coopkit.branding.service)."""
