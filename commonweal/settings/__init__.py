"""Settings: ``base`` holds everything; ``dev``, ``demo``, ``test`` and ``production`` differ only where they must."""
