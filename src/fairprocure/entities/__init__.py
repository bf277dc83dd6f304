"""Entity resolution: one supplier behind its many spellings and identifiers.

:mod:`.names` normalises a supplier's name (legal forms, transliteration, punctuation) into the key the
screening and the workspace's supplier registry both use; :mod:`.match` says whether two names are the
same supplier (``same``), perhaps (``possible``, for a person to decide) or not; :mod:`.evaluate`
measures that on a labelled sample of real name pairs. The package imports only :mod:`.names`, so the
screening does not load the fuzzy matcher (rapidfuzz) that the registry's matching needs.
"""

from fairprocure.entities.names import normalise_identifier, normalise_name, supplier_key

__all__ = ["normalise_identifier", "normalise_name", "supplier_key"]
