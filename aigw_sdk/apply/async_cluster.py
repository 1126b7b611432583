"""AsyncCluster: the :class:`Cluster` API for async code (anyio; asyncio or trio).

Each call runs the synchronous implementation in a worker thread, so both share one
request-building core and behave identically.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

import anyio.to_thread
from kubernetes import client

from aigw_sdk.apply.cluster import Cluster
from aigw_sdk.apply.diff import DiffReport
from aigw_sdk.apply.discovery import CRDStatus
from aigw_sdk.apply.results import ApplyReport
from aigw_sdk.apply.wait import ObjectCondition, ProgressCallback
from aigw_sdk.bundle import Bundle
from aigw_sdk.models.base import Resource

T = TypeVar("T")


class AsyncCluster:
    """Async twin of :class:`Cluster`: same constructor, same methods, awaitable.

    ``on_progress`` callbacks of :meth:`wait` run in the worker thread.
    """

    def __init__(
        self,
        kubeconfig: str | os.PathLike[str] | None = None,
        context: str | None = None,
        namespace: str | None = None,
        *,
        configuration: client.Configuration | None = None,
    ) -> None:
        self.sync = Cluster(kubeconfig, context, namespace, configuration=configuration)

    @property
    def namespace(self) -> str:
        """The default namespace."""
        return self.sync.namespace

    async def _run(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await anyio.to_thread.run_sync(functools.partial(func, *args, **kwargs))

    async def aclose(self) -> None:
        """Release connections."""
        await self._run(self.sync.close)

    async def __aenter__(self) -> AsyncCluster:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"Async{self.sync!r}"

    async def check_crds(self) -> CRDStatus:
        """See :meth:`Cluster.check_crds`."""
        return await self._run(self.sync.check_crds)

    async def apply(
        self,
        bundle: Bundle,
        field_manager: str = "aigw-sdk",
        force: bool = False,
        dry_run: bool | str | None = False,
        prune: bool = False,
        label_selector: str | None = None,
        *,
        validate: bool = True,
        bundle_name: str | None = None,
    ) -> ApplyReport:
        """See :meth:`Cluster.apply`."""
        return await self._run(
            self.sync.apply,
            bundle,
            field_manager,
            force,
            dry_run,
            prune,
            label_selector,
            validate=validate,
            bundle_name=bundle_name,
        )

    async def diff(
        self,
        bundle: Bundle,
        field_manager: str = "aigw-sdk",
        force: bool = False,
        *,
        validate: bool = True,
        bundle_name: str | None = None,
    ) -> DiffReport:
        """See :meth:`Cluster.diff`."""
        return await self._run(
            self.sync.diff,
            bundle,
            field_manager,
            force,
            validate=validate,
            bundle_name=bundle_name,
        )

    async def wait(
        self,
        bundle: Bundle,
        condition: str = "Accepted",
        timeout: float = 300.0,
        *,
        on_progress: ProgressCallback | None = None,
        progress: bool | None = False,
    ) -> list[ObjectCondition]:
        """See :meth:`Cluster.wait` (no terminal bar unless ``progress=True``)."""
        return await self._run(
            self.sync.wait, bundle, condition, timeout, on_progress=on_progress, progress=progress
        )

    async def status(self, bundle: Bundle, condition: str = "Accepted") -> list[ObjectCondition]:
        """See :meth:`Cluster.status`."""
        return await self._run(self.sync.status, bundle, condition)

    async def get(
        self, kind: str | type[Resource], name: str, namespace: str | None = None
    ) -> Resource:
        """See :meth:`Cluster.get`."""
        return await self._run(self.sync.get, kind, name, namespace)

    async def list(
        self,
        kind: str | type[Resource],
        namespace: str | None = None,
        label_selector: str | None = None,
        *,
        all_namespaces: bool = False,
    ) -> list[Resource]:
        """See :meth:`Cluster.list`."""
        return await self._run(
            self.sync.list, kind, namespace, label_selector, all_namespaces=all_namespaces
        )

    async def delete(self, bundle: Bundle, *, dry_run: bool = False) -> ApplyReport:
        """See :meth:`Cluster.delete`."""
        return await self._run(self.sync.delete, bundle, dry_run=dry_run)

    async def prune(
        self,
        bundle: Bundle,
        label_selector: str | None = None,
        *,
        bundle_name: str | None = None,
        dry_run: bool | str | None = False,
    ) -> ApplyReport:
        """See :meth:`Cluster.prune`."""
        return await self._run(
            self.sync.prune, bundle, label_selector, bundle_name=bundle_name, dry_run=dry_run
        )
