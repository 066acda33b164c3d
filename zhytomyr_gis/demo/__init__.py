"""Demo data: a deterministic, clearly generated Zhytomyr and its loader.

No real city data can be downloaded where the system is built and tested, so
the demo, the tests and the benchmarks run on a generated city that looks
like Zhytomyr (the real centre, districts, street names and the Teteriv) but
is labelled as generated everywhere it is shown.

- :mod:`.names`: real street names and the vocabulary of organisations and
  people, with the official Ukrainian-to-Latin transliteration.
- :mod:`.generator`: pure Python (no database, no Qt) ``generate(size)``.
- :mod:`.loader`: puts a generated dataset into a migrated database through
  the workflow, as the departments' demo users.
"""

from zhytomyr_gis.demo.generator import SIZES, Dataset, TableData, generate

__all__ = ["SIZES", "Dataset", "TableData", "generate"]
