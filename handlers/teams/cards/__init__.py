"""Adaptive Card builders, one module per answer: typed data in, card content out (a dict), built
with Microsoft's typed builders (``microsoft_teams.cards``, card version 1.5 as Teams requires).
Pure: no connector, no clock (``now`` is passed)."""
