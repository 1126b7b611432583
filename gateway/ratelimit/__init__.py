"""Token rate limits (BackendTrafficPolicy `rateLimit`) and QuotaPolicy budgets.

`compile_ratelimits` turns the bundle's policies into a `RateLimitConfig`; the data plane asks a
`Limiter` to `admit` each request and `settle` it once usage is known. Counters live in memory
(`MemoryCounters`) or in Redis (`RedisCounters`), shared by several gateway processes.
"""

from gateway.ratelimit.compile import compile_ratelimits
from gateway.ratelimit.counters import Counters, MemoryCounters, RedisCounters
from gateway.ratelimit.limiter import Admission, Limiter, Usage, request_info
from gateway.ratelimit.rules import RateLimitConfig

__all__ = [
    "Admission",
    "Counters",
    "Limiter",
    "MemoryCounters",
    "RateLimitConfig",
    "RedisCounters",
    "Usage",
    "compile_ratelimits",
    "request_info",
]
