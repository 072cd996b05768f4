"""The bottom of the arrows: plain helpers every app may import, that import no app.

- ``periods``: calendar periods (month, quarter, half-year, year) in Asia/Seoul.
- ``errors``: the one service error type, with a code, and its bridges to forms and views.
- ``access``: the one permission accessor (fetch an object and check a rule, or 403/404).
"""
