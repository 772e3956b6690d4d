from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        from compliance import background

        background.register(dispatch)


def dispatch(name: str, args: tuple) -> None:
    """Send a task by name through Celery (``delay``, so eager mode and tests behave as usual)."""
    import importlib

    module, _, attr = name.rpartition(".")
    task = getattr(importlib.import_module(module), attr)
    task.delay(*args)
