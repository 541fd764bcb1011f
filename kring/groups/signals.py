"""Work a groups action hands to the worker.

A service sends one of these once its transaction has committed; `tasks.py`, connected
when the app is loaded, queues the matching task. So services never import the task
module while the task module imports services: the dependency goes one way.
"""

from django.dispatch import Signal

# proposal_id — a new proposal for the engine to compose
composition_requested = Signal()
