#!/usr/bin/env python
from guichet.__main__ import main

if __name__ == "__main__":
    main()
