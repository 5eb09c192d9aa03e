"""Matching: ``engine`` (vectorised, explainable visitor × vacancy scores), ``recommend``
(festival: three balanced stands per visitor), ``preferences`` and ``schedule`` (matching
days: must/happy/no marks and the speed-meeting schedule), ``score`` (the tablet's per-pair
rule, which ``engine`` reproduces exactly as its coverage part)."""
