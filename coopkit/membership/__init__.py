"""Membership of a cooperative: who is a member when, and the share register.

``models`` holds the legal records (status changes, share classes, register
lines); ``register`` answers the questions other modules ask of them (who was a
member on a day, what they held), which is how governance finds its voters.
"""
