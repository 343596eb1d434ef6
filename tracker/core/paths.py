"""Where the project's folders are: the checkout root holds templates/, translations/, instance/."""

from pathlib import Path

#: The project root (the folder holding tracker/, templates/ and instance/).
ROOT = Path(__file__).resolve().parents[2]
