"""Tooling around extraction, kept out of the run-time package: training the learned layer
(`train.py`), the sentence-embedding head (`embed.py`) and scoring against the annotated sets
(`score.py`). Behind `accord extract train|score`; needs the `train` extra (scikit-learn)."""
