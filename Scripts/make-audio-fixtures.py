"""Generate the audio front-end reference fixtures used by Braid's tests.

Writes Tests/Fixtures/audio.safetensors (float32 everywhere):
  clip.22050              a short spoken sentence (espeak-ng, 16-bit PCM at 22050 Hz, read
                          with Python's `wave` module) as samples / 32768, [T22]
  clip.16000              clip.22050 resampled to 16 kHz with
                          scipy.signal.resample_poly(x, 320, 441) (Kaiser beta 5, the
                          default window), computed in float64, [T16]
  stft.power              np.abs(librosa.stft(clip.16000, n_fft=400, hop_length=160,
                          window='hann', center=True, pad_mode='reflect'))**2, [201, F]
  mel.<case>.filterbank   librosa.filters.mel(sr=16000, n_fft=400, n_mels=80, fmin=0,
                          fmax=None, htk=..., norm=...), [80, 201]
  mel.<case>.power        librosa.feature.melspectrogram(y=clip.16000, sr=16000,
                          n_fft=400, hop_length=160, n_mels=80, htk=..., norm=...,
                          power=2.0, center=True, pad_mode='reflect'), [80, F]
  mel.<case>.db           librosa.power_to_db(mel.<case>.power, ref=1.0, amin=1e-10,
                          top_db=80.0), [80, F]
                          <case> is htk (htk=True, norm=None) or slaney (htk=False,
                          norm='slaney')
  filterbank.<case>       librosa.filters.mel(sr=16000, n_fft=512, n_mels=40, fmin=20,
                          fmax=7600, htk=..., norm=...), [40, 257], for <case>
                          htk_slaney_norm (htk=True, norm='slaney') and slaney_no_norm
                          (htk=False, norm=None)
  fft.<n>.x               a random normal signal of length n (n = 37, 400, 512), [n]
  fft.<n>.real, .imag     np.fft.rfft of it in float64, [n // 2 + 1]

The STFT and mel references pass pad_mode='reflect' explicitly: librosa >= 0.10
defaults to pad_mode='constant'.

Run from the repository root (tools only, installed into the existing venv):
  apt-get install -y espeak-ng
  /opt/braid-venv/bin/pip install librosa
  /opt/braid-venv/bin/python Scripts/make-audio-fixtures.py [OUTPUT_DIR]
OUTPUT_DIR defaults to Tests/Fixtures in the repository root.

espeak-ng, librosa and SciPy are only tools for this script: they are never
dependencies of the Braid library or of its tests, which read the committed
fixture file. The random signals use a fixed seed; espeak-ng's output depends
on its version (1.51 made the committed clip).
"""

import io
import subprocess
import sys
import wave
from pathlib import Path

import librosa
import numpy as np
import scipy.signal
from safetensors.numpy import save_file

REPO_ROOT = Path(__file__).resolve().parent.parent

SENTENCE = "Braid listens to speech."
SPEECH_RATE = 22050  # espeak-ng's native rate
MODEL_RATE = 16000
MAX_SECONDS = 1.5
N_FFT, HOP, N_MELS = 400, 160, 80
MEL_CASES = {"htk": dict(htk=True, norm=None), "slaney": dict(htk=False, norm="slaney")}
FILTERBANK_CASES = {"htk_slaney_norm": dict(htk=True, norm="slaney"),
                    "slaney_no_norm": dict(htk=False, norm=None)}
FFT_LENGTHS = (37, 400, 512)


def f32(a):
    return np.ascontiguousarray(a, dtype=np.float32)


def speak(sentence):
    """The sentence as float32 samples in [-1, 1) at espeak-ng's 22050 Hz, at most MAX_SECONDS."""
    wav = subprocess.run(["espeak-ng", "-z", "--stdout", sentence], check=True, capture_output=True).stdout
    with wave.open(io.BytesIO(wav)) as reader:
        assert reader.getnchannels() == 1 and reader.getsampwidth() == 2, "expected 16-bit mono"
        assert reader.getframerate() == SPEECH_RATE, reader.getframerate()
        pcm = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2")
    pcm = pcm[: int(MAX_SECONDS * SPEECH_RATE)]
    return f32(pcm.astype(np.float64) / 32768.0)


def resample(x, rate_in, rate_out):
    """scipy.signal.resample_poly with its defaults, in float64."""
    g = np.gcd(rate_in, rate_out)
    return f32(scipy.signal.resample_poly(x.astype(np.float64), rate_out // g, rate_in // g))


def mel_cases(out, y):
    stft = librosa.stft(y, n_fft=N_FFT, hop_length=HOP, window="hann", center=True, pad_mode="reflect")
    out["stft.power"] = f32(np.abs(stft) ** 2)
    for name, options in MEL_CASES.items():
        out[f"mel.{name}.filterbank"] = f32(librosa.filters.mel(sr=MODEL_RATE, n_fft=N_FFT, n_mels=N_MELS, **options))
        power = librosa.feature.melspectrogram(
            y=y, sr=MODEL_RATE, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS, power=2.0,
            window="hann", center=True, pad_mode="reflect", **options)
        out[f"mel.{name}.power"] = f32(power)
        out[f"mel.{name}.db"] = f32(librosa.power_to_db(power, ref=1.0, amin=1e-10, top_db=80.0))
    for name, options in FILTERBANK_CASES.items():
        out[f"filterbank.{name}"] = f32(librosa.filters.mel(
            sr=MODEL_RATE, n_fft=512, n_mels=40, fmin=20.0, fmax=7600.0, **options))


def fft_cases(out):
    rng = np.random.default_rng(0)
    for n in FFT_LENGTHS:
        x = f32(rng.standard_normal(n))
        spectrum = np.fft.rfft(x.astype(np.float64))
        out[f"fft.{n}.x"] = x
        out[f"fft.{n}.real"] = f32(spectrum.real)
        out[f"fft.{n}.imag"] = f32(spectrum.imag)


def main():
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO_ROOT / "Tests" / "Fixtures"
    out_dir.mkdir(parents=True, exist_ok=True)
    out = {}
    clip = speak(SENTENCE)
    out["clip.22050"] = clip
    out["clip.16000"] = resample(clip, SPEECH_RATE, MODEL_RATE)
    mel_cases(out, out["clip.16000"])
    fft_cases(out)
    for key, a in out.items():
        assert a.dtype == np.float32 and a.flags.c_contiguous, key
    path = out_dir / "audio.safetensors"
    save_file(out, str(path))
    print(f"wrote {path} ({len(out)} tensors, {path.stat().st_size} bytes, "
          f"{len(clip) / SPEECH_RATE:.2f} s clip, librosa {librosa.__version__})")


if __name__ == "__main__":
    main()
