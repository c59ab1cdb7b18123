"""Peak resident memory of this process, and restarting it (standard library
only: also imported by the peers' harnesses, which run in the peers' venvs).

``reset_peak`` restarts the kernel's high-water mark (``VmHWM``) from the
resident memory now (Linux >= 4.0, ``/proc/self/clear_refs``), so that the
transient peaks of loading (imports, models) do not hide the memory that the
work measured after it takes. Without /proc the figures fall back to
``ru_maxrss``, and a growth computed from them is only a lower bound.
"""

from __future__ import annotations

import resource


def peak_mb() -> float:
    """The process's peak resident memory so far (``ru_maxrss``; Linux: KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_mb(field: str) -> float | None:
    """``VmHWM`` or ``VmRSS`` of this process from /proc (MB), if any."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def reset_peak() -> float:
    """Restart the peak from the resident memory now; return that (MB)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        return peak_mb()
    return _status_mb("VmRSS") or peak_mb()


def peak_since_reset() -> float:
    """The peak resident memory since ``reset_peak`` (MB)."""
    return _status_mb("VmHWM") or peak_mb()
