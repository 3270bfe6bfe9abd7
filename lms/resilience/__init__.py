"""Staying up when a dependency fails: the cache that degrades, the task outbox, the health
check and the outage windows the exam grace is extended by. The lowest app: it imports none."""
