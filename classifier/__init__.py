"""Tags news paragraphs with the topics data_access, layoffs, litigation and funding."""

__version__ = "0.1.0"
