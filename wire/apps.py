from django.apps import AppConfig


class WireConfig(AppConfig):
    """Wire copy in and out as IPTC ninjs: the importer, the exporter, the schemas, the import page. No models."""

    name = "wire"
