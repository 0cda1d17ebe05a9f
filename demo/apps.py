from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content and pictures, and the data generator for benchmarks. No models."""

    name = "demo"
