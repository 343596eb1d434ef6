"""Publishing approved plans to the public: the transparency pages, open data and its catalogue."""
