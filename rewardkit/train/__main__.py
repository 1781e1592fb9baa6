"""``python -m rewardkit.train CONFIG.yaml [...]``: the same as ``rewardkit train``.

Exists so that ``accelerate launch -m rewardkit.train CONFIG.yaml`` runs on several GPUs.
"""

from rewardkit.cli import main

if __name__ == "__main__":
    import sys

    main(["train", *sys.argv[1:]])
