"""The "Zhytomyr GIS" Processing provider: the checks, the status report and
the verification report as algorithms for models and batch runs.

Register it in the plugin's ``initProcessing``::

    from .processing.provider import ZhytomyrGisProvider
    self.provider = ZhytomyrGisProvider()
    QgsApplication.processingRegistry().addProvider(self.provider)
"""
