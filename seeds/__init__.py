"""The data sahel-monitor starts from, installed as ``monitor.seeds`` (see README.md here).

A package only so that the wheel carries these files and ``importlib.resources`` finds them;
it holds no code.
"""
