"""BackBoxDomain servicer: the domain manager of one domain over gRPC (proto emulator/v1/backbox_domain).

A thin adapter: every method parses the request, calls the node's `BackBoxDomain` and builds the response.
"""

from __future__ import annotations

from typing import Any, Iterator

import grpc

from emulator.backbox_domain import BackBoxDomain
from emulator.errors import InvalidArgument
from emulator.v1 import backbox_domain_pb2 as bb, backbox_domain_pb2_grpc, common_pb2


class BackBoxDomainServicer(backbox_domain_pb2_grpc.BackBoxDomainServicer):
    def __init__(self, domain: BackBoxDomain):
        self.d = domain

    # -- domain and license ----------------------------------------------------------------------------------
    def GetDomainConfig(self, request: Any, context: Any) -> bb.GetDomainConfigResponse:
        config = self.d.domain_config()
        config.license.CopyFrom(self.d.license())
        return bb.GetDomainConfigResponse(config=config, license_status=self.d.license_status())

    def UpdateDomainConfig(self, request: Any, context: Any) -> bb.UpdateDomainConfigResponse:
        config = self.d.update_domain_config(request.config, request.field_mask)
        if "daily_cleanup_time" in request.field_mask or not request.field_mask:
            self.d.cleanup.schedule()
        return bb.UpdateDomainConfigResponse(config=config)

    def SetLicense(self, request: Any, context: Any) -> bb.SetLicenseResponse:
        return bb.SetLicenseResponse(license_status=self.d.set_license(request.license))

    # -- nodes, VTCs, key managers ---------------------------------------------------------------------------
    def AddNskNode(self, request: Any, context: Any) -> bb.AddNskNodeResponse:
        return bb.AddNskNodeResponse(node=self.d.add_nsk_node(request.node))

    def ListNskNodes(self, request: Any, context: Any) -> bb.ListNskNodesResponse:
        return bb.ListNskNodesResponse(nodes=self.d.list_config("node"))

    def DeleteNskNode(self, request: Any, context: Any) -> bb.DeleteNskNodeResponse:
        self.d.delete_nsk_node(request.name)
        return bb.DeleteNskNodeResponse()

    def AddVtc(self, request: Any, context: Any) -> bb.AddVtcResponse:
        return bb.AddVtcResponse(vtc=self.d.add_vtc(request.vtc))

    def ListVtcs(self, request: Any, context: Any) -> bb.ListVtcsResponse:
        return bb.ListVtcsResponse(vtcs=self.d.vtcs())

    def DeleteVtc(self, request: Any, context: Any) -> bb.DeleteVtcResponse:
        self.d.delete_vtc(request.id)
        return bb.DeleteVtcResponse()

    def AddKeyManager(self, request: Any, context: Any) -> bb.AddKeyManagerResponse:
        return bb.AddKeyManagerResponse(key_manager=self.d.add_key_manager(request.key_manager))

    def UpdateKeyManager(self, request: Any, context: Any) -> bb.UpdateKeyManagerResponse:
        return bb.UpdateKeyManagerResponse(key_manager=self.d.update_key_manager(request.key_manager,
                                                                                 request.field_mask))

    def ListKeyManagers(self, request: Any, context: Any) -> bb.ListKeyManagersResponse:
        return bb.ListKeyManagersResponse(key_managers=self.d.list_config("key_manager"))

    def DeleteKeyManager(self, request: Any, context: Any) -> bb.DeleteKeyManagerResponse:
        self.d.delete_key_manager(request.id)
        return bb.DeleteKeyManagerResponse()

    # -- data stores -----------------------------------------------------------------------------------------
    def CreateDataStore(self, request: Any, context: Any) -> bb.CreateDataStoreResponse:
        ds, warnings = self.d.create_data_store(request.data_store, request.password)
        return bb.CreateDataStoreResponse(data_store=ds, warnings=warnings)

    def UpdateDataStore(self, request: Any, context: Any) -> bb.UpdateDataStoreResponse:
        ds, warnings = self.d.update_data_store(request.data_store, request.field_mask, request.password)
        return bb.UpdateDataStoreResponse(data_store=ds, warnings=warnings)

    def GetDataStore(self, request: Any, context: Any) -> bb.GetDataStoreResponse:
        return bb.GetDataStoreResponse(data_store=self.d.data_store(request.id))

    def ListDataStores(self, request: Any, context: Any) -> bb.ListDataStoresResponse:
        return bb.ListDataStoresResponse(data_stores=self.d.data_stores(request.domain_access, request.status))

    def DeleteDataStore(self, request: Any, context: Any) -> bb.DeleteDataStoreResponse:
        self.d.delete_data_store(request.id)
        return bb.DeleteDataStoreResponse()

    def SetDataStoreStatus(self, request: Any, context: Any) -> bb.SetDataStoreStatusResponse:
        return bb.SetDataStoreStatusResponse(data_store=self.d.set_data_store_status(request.id, request.status))

    def SetDomainAccess(self, request: Any, context: Any) -> bb.SetDomainAccessResponse:
        ds, warnings = self.d.set_domain_access(request.id, request.domain_access, request.primary_data_store_id)
        return bb.SetDomainAccessResponse(data_store=ds, warnings=warnings)

    def UpdateExportConfig(self, request: Any, context: Any) -> bb.UpdateExportConfigResponse:
        return bb.UpdateExportConfigResponse(data_store=self.d.update_export_config(
            request.data_store_id, request.export_config, request.field_mask))

    def UpdateImportConfig(self, request: Any, context: Any) -> bb.UpdateImportConfigResponse:
        ds, warnings = self.d.update_import_config(request.data_store_id, request.import_config, request.field_mask)
        return bb.UpdateImportConfigResponse(data_store=ds, warnings=warnings)

    # -- volume groups ---------------------------------------------------------------------------------------
    def CreateVolumeGroup(self, request: Any, context: Any) -> bb.CreateVolumeGroupResponse:
        vg, warnings = self.d.create_volume_group(request.volume_group)
        return bb.CreateVolumeGroupResponse(volume_group=vg, warnings=warnings)

    def UpdateVolumeGroup(self, request: Any, context: Any) -> bb.UpdateVolumeGroupResponse:
        vg, warnings = self.d.update_volume_group(request.volume_group, request.field_mask)
        return bb.UpdateVolumeGroupResponse(volume_group=vg, warnings=warnings)

    def GetVolumeGroup(self, request: Any, context: Any) -> bb.GetVolumeGroupResponse:
        return bb.GetVolumeGroupResponse(volume_group=self.d.volume_group(request.id))

    def ListVolumeGroups(self, request: Any, context: Any) -> bb.ListVolumeGroupsResponse:
        return bb.ListVolumeGroupsResponse(volume_groups=self.d.volume_groups(request.data_store_id))

    def DeleteVolumeGroup(self, request: Any, context: Any) -> bb.DeleteVolumeGroupResponse:
        self.d.delete_volume_group(request.id)
        return bb.DeleteVolumeGroupResponse()

    def ValidateConfiguration(self, request: Any, context: Any) -> bb.ValidateConfigurationResponse:
        problems = self.d.validate(request.data_store_id)
        return bb.ValidateConfigurationResponse(
            valid=not any(p.severity == bb.PROBLEM_SEVERITY_ERROR for p in problems), problems=problems)

    def CheckAccess(self, request: Any, context: Any) -> bb.CheckAccessResponse:
        return bb.CheckAccessResponse(decision=self.d.check_access(request.data_store_id, request.operation,
                                                                   request.origin))

    # -- volumes ---------------------------------------------------------------------------------------------
    def CreateVolumes(self, request: Any, context: Any) -> bb.CreateVolumesResponse:
        return self.d.volumes.create(request)

    def GetVolume(self, request: Any, context: Any) -> bb.GetVolumeResponse:
        return bb.GetVolumeResponse(volume=self.d.volumes.get(request.label))

    def ListVolumes(self, request: Any, context: Any) -> bb.ListVolumesResponse:
        vols, token, total = self.d.volumes.list(request)
        return bb.ListVolumesResponse(volumes=vols, page=common_pb2.PageResponse(next_page_token=token, total=total))

    def UpdateVolume(self, request: Any, context: Any) -> bb.UpdateVolumeResponse:
        return bb.UpdateVolumeResponse(volume=self.d.volumes.update(request.volume, request.field_mask,
                                                                    request.user))

    def AlterVolumeStatus(self, request: Any, context: Any) -> bb.AlterVolumeStatusResponse:
        return self.d.volumes.alter_status(request.labels, request.status, request.user)

    def DeleteVolume(self, request: Any, context: Any) -> bb.DeleteVolumeResponse:
        return self.d.volumes.delete(request.label, request.user, request.keep_image)

    def CatalogDetach(self, request: Any, context: Any) -> bb.CatalogDetachResponse:
        return self.d.volumes.catalog_detach(request)

    def ResetVolumeOperation(self, request: Any, context: Any) -> bb.ResetVolumeOperationResponse:
        vol, previous = self.d.volumes.reset_operation(request.label, request.user)
        return bb.ResetVolumeOperationResponse(volume=vol, previous_operation=previous)

    def UpsertVolumes(self, request_iterator: Iterator[bb.UpsertVolumesRequest], context: Any
                      ) -> bb.UpsertVolumesResponse:
        first = next(request_iterator, None)
        if first is None or not first.HasField("options"):
            raise InvalidArgument("the first UpsertVolumes message must carry the options (data store, process)")

        def records() -> Iterator[bb.BackBoxVolume]:
            yield from first.volumes
            for msg in request_iterator:
                yield from msg.volumes
        return self.d.volumes.upsert(first.options, records())

    def DeleteVolumes(self, request: Any, context: Any) -> bb.DeleteVolumesResponse:
        return self.d.volumes.delete_records(request.data_store_id, request.labels, request.process)

    def BeginVolumeOperation(self, request: Any, context: Any) -> bb.BeginVolumeOperationResponse:
        return self.d.mounts.begin(request)

    def EndVolumeOperation(self, request: Any, context: Any) -> bb.EndVolumeOperationResponse:
        return self.d.mounts.end(request)

    def RunBackup(self, request: Any, context: Any) -> bb.RunBackupResponse:
        return self.d.backups.run_backup(request)

    def RunRestore(self, request: Any, context: Any) -> bb.RunRestoreResponse:
        return self.d.backups.run_restore(request)

    def RunDailyCleanup(self, request: Any, context: Any) -> bb.RunDailyCleanupResponse:
        return bb.RunDailyCleanupResponse(results=self.d.cleanup.run(request.data_store_ids, request.steps,
                                                                     request.user))

    # -- events ----------------------------------------------------------------------------------------------
    def ListVolumeEvents(self, request: Any, context: Any) -> bb.ListVolumeEventsResponse:
        events, last = self.d.events.list(request.after_sequence, request.consumer, request.data_store_id,
                                          request.kinds, request.export_triggers_only, request.limit)
        return bb.ListVolumeEventsResponse(events=events, last_sequence=last)

    def WatchVolumeEvents(self, request: Any, context: grpc.ServicerContext
                          ) -> Iterator[bb.WatchVolumeEventsResponse]:
        for event in self.d.events.watch(request.after_sequence, request.consumer, request.data_store_id,
                                         request.kinds, request.export_triggers_only,
                                         lambda: context.is_active() and self.d.node.up):
            yield bb.WatchVolumeEventsResponse(event=event)

    def AcknowledgeVolumeEvents(self, request: Any, context: Any) -> bb.AcknowledgeVolumeEventsResponse:
        return bb.AcknowledgeVolumeEventsResponse(
            acknowledged_sequence=self.d.events.acknowledge(request.consumer, request.sequence))

    def ListPendingExports(self, request: Any, context: Any) -> bb.ListPendingExportsResponse:
        self.d.data_store(request.data_store_id)
        total, entries, last = self.d.events.pending(request.data_store_id, request.limit)
        return bb.ListPendingExportsResponse(total=total, entries=entries, last_sequence=last)

    def MarkExported(self, request: Any, context: Any) -> bb.MarkExportedResponse:
        return self.d.mark_exported(request)

    def AddEventSubscription(self, request: Any, context: Any) -> bb.AddEventSubscriptionResponse:
        return bb.AddEventSubscriptionResponse(subscription=self.d.events.add_subscription(request.subscription))

    def ListEventSubscriptions(self, request: Any, context: Any) -> bb.ListEventSubscriptionsResponse:
        return bb.ListEventSubscriptionsResponse(subscriptions=self.d.events.subscriptions())

    def DeleteEventSubscription(self, request: Any, context: Any) -> bb.DeleteEventSubscriptionResponse:
        self.d.events.delete_subscription(request.id)
        return bb.DeleteEventSubscriptionResponse()

    def GetStorageAdminStatus(self, request: Any, context: Any) -> bb.GetStorageAdminStatusResponse:
        return self.d.storage_admin()
