"""Deterministic across processes, and langdetect only loaded when a score needs it."""

import json
import os
import subprocess
import sys

from rewardkit_language import LanguagePurity

from rewardkit import Sample

# Short mixed sentences of one script, and short prompts langdetect's sampler is unsure
# about (Russian or Bulgarian? Dutch or Slovak?): unseeded, answers differ between runs.
MIXED = ("Wait. Hmm, c'est faux. Let me see. Vérifions. OK so. Bon, alors. Right. Donc voilà. "
         "Ja, genau. Sí, claro. Okay then. D'accord.")
PROMPTS = ["Решите уравнение и объясните рассуждения шаг за шагом", "Hej hej", "Dobro jutro",
           "Ano, prosím", "Da, hvala", "Kiitos paljon"]
SCRIPT = f"""
import json
from rewardkit import Sample
from rewardkit_language import LanguagePurity
samples = [Sample({MIXED!r}, prompt=p) for p in {PROMPTS!r}]
results = LanguagePurity(part="whole").score(samples)
results += LanguagePurity(target="en", part="whole").score([Sample({MIXED!r})])
print(json.dumps([[r.value, r.info.get("target"), r.info.get("languages")] for r in results]))
"""


def run_in_fresh_process() -> list:
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONHASHSEED": "random"})
    return json.loads(out.stdout)


def test_same_values_in_separate_processes_and_here():
    first, second = run_in_fresh_process(), run_in_fresh_process()
    here = LanguagePurity(target="en", part="whole").score([Sample(MIXED)])[0]
    assert first == second
    assert first[-1] == [here.value, "en", here.info["languages"]]


def test_importing_and_registering_the_plugin_loads_no_langdetect_or_numpy():
    code = ("import sys, rewardkit_language\n"
            "rewardkit_language.register_rewards(lambda name, factory: None)\n"
            "rewardkit_language.LanguagePurity(target='en')\n"
            "print('langdetect' in sys.modules or 'numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
