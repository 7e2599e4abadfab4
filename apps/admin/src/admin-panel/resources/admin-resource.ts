import { Filter, populator, type ActionContext, type ActionRequest, type ActionResponse, type BaseRecord, type CurrentAdmin, type ResourceOptions, type ResourceWithOptions } from 'adminjs';
import type { AdminRole } from '@app/db';
import { isAllowed, type Permission, type ResourceGroup } from '../../auth/admin-role.policy.js';
import { ValidationFailedException } from '@app/bootstrap';
import type { ImageKind, ImageProcessor } from '../../media/image-processor.service.js';
import { Components } from '../admin-components.js';
import type { LiveConsoleDependencies } from './live-console.action.js';

/** What custom actions call into. */
export interface AdminActionServices {
  images: ImageProcessor;
  liveConsole: LiveConsoleDependencies;
}

export interface AdminResourceSpec {
  /** A TypeORM entity class (or an adapter resource wrapping one). */
  resource: unknown;
  group: ResourceGroup;
  navigation: { name: string; icon: string };
  titleProperty?: string;
  listProperties?: string[];
  filterProperties?: string[];
  showProperties?: string[];
  editProperties?: string[];
  sort?: { sortBy: string; direction: 'asc' | 'desc' };
  /** Synced rows are hidden, never deleted: hide/unhide actions instead of delete. */
  hideable?: boolean;
  /** The image column an upload replaces (team logo, player photo, moment thumbnail), and how it is sized. */
  image?: { property: string; kind: ImageKind };
  properties?: ResourceOptions['properties'];
  actions?: ResourceOptions['actions'];
}

/** An action no role may run, and no button for it. */
export const NO_ACTION = { isAccessible: false, isVisible: false } as const;

/** A property shown on the record's page only (long or technical values). */
export const SHOW_PAGE_ONLY = { list: false, filter: false, show: true, edit: false } as const;

const can =
  (group: ResourceGroup, permission: Permission) =>
  ({ currentAdmin }: { currentAdmin?: CurrentAdmin }) =>
    isAllowed(currentAdmin?.role as AdminRole | undefined, group, permission);

/** Records AdminJS loaded for a record or bulk action. */
function targets(context: ActionContext): BaseRecord[] {
  return context.records ?? (context.record ? [context.record] : []);
}

/**
 * One hide/unhide action. Each record is saved through the adapter, so the
 * audit subscriber records it and the change-feed triggers publish it.
 */
function visibilityAction(hidden: boolean, actionType: 'record' | 'bulk', group: ResourceGroup) {
  return {
    actionType,
    icon: hidden ? 'EyeOff' : 'Eye',
    guard: hidden ? 'Hide from the apps? The record stays in the database and can be unhidden.' : undefined,
    component: false as const,
    variant: hidden ? ('danger' as const) : ('default' as const),
    isAccessible: can(group, 'write'),
    isVisible: (context: ActionContext) =>
      can(group, 'write')(context) && (actionType === 'bulk' || Boolean(context.record?.params.hidden) !== hidden),
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
      const { currentAdmin, h, resource } = context;
      const records = targets(context);
      if (request.method === 'get') return { records: records.map((record) => record.toJSON(currentAdmin)) };
      for (const record of records) {
        if (Boolean(record.params.hidden) !== hidden) await record.update({ hidden }, context);
      }
      const notice = { message: `${records.length} ${records.length === 1 ? 'record' : 'records'} ${hidden ? 'hidden' : 'unhidden'}`, type: 'success' as const };
      return actionType === 'record'
        ? { record: records[0].toJSON(currentAdmin), notice, redirectUrl: h.resourceUrl({ resourceId: resource._decorated?.id() ?? resource.id() }) }
        : { records: records.map((record) => record.toJSON(currentAdmin)), notice, redirectUrl: h.resourceUrl({ resourceId: resource._decorated?.id() ?? resource.id() }) };
    },
  };
}

/** CSV of what the list shows with its filters, built in the browser from this JSON (ExportCsv component). */
const EXPORT_LIMIT = 50_000;

function exportCsvAction(group: ResourceGroup) {
  return {
    actionType: 'resource' as const,
    icon: 'Download',
    component: Components.ExportCsv,
    isAccessible: can(group, 'read'),
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
      const { resource } = context;
      const filters = Object.fromEntries(
        Object.entries(request.query ?? {})
          .filter(([key]) => key.startsWith('filters.'))
          .map(([key, value]) => [key.slice('filters.'.length), value]),
      );
      const filter = await new Filter(filters, resource).populate(context);
      const records = await resource.find(filter, { limit: EXPORT_LIMIT, offset: 0, sort: { sortBy: 'id', direction: 'asc' } }, context);
      const populated = await populator(records, context);
      const decorated = resource.decorate();
      const columns = decorated.getProperties({ where: 'list' }).map((property) => property.propertyPath);
      return {
        columns: ['id', ...columns.filter((column) => column !== 'id')],
        rows: populated.map((record) => ({ ...record.params, ...titlesOf(record) })),
        truncated: records.length === EXPORT_LIMIT,
      };
    },
  };
}

/** References exported by their title (a team's name), not their id. */
function titlesOf(record: BaseRecord): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record.populated ?? {})
      .filter(([, reference]) => reference)
      .map(([path, reference]) => [path, (reference as BaseRecord).title()]),
  );
}

interface UploadedField {
  toBuffer?: () => Promise<Buffer>;
}

/**
 * Page and endpoint for replacing a record's image: the file is checked and
 * resized (ImageProcessor), and the record's column is set to the canonical
 * variant's URL through the adapter, so the audit trail and the change feed
 * see it like any edit.
 */
function uploadImageAction(group: ResourceGroup, image: NonNullable<AdminResourceSpec['image']>, images: ImageProcessor) {
  return {
    actionType: 'record' as const,
    icon: 'Image',
    component: Components.ImageUpload,
    custom: { imageProperty: image.property },
    isAccessible: can(group, 'images'),
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
      const record = context.record!;
      if (request.method === 'post') {
        // @adminjs/fastify hands the parsed multipart body through as `body`; the file's bytes are buffered there.
        const field = (request as ActionRequest & { body?: Record<string, UploadedField> }).body?.image;
        if (!field?.toBuffer) throw new ValidationFailedException(['image: choose an image file']);
        const processed = await images.process(await field.toBuffer(), image.kind);
        await record.update({ [image.property]: processed.url }, context);
        return { record: record.toJSON(context.currentAdmin), variants: processed.variants, notice: { message: 'Image saved', type: 'success' } };
      }
      return { record: record.toJSON(context.currentAdmin) };
    },
  };
}

/**
 * The spec's own actions, each merged over the default of the same name and
 * refused to anyone without write access unless it says otherwise: an action
 * added here is never open to all by omission.
 */
function withAccess(actions: ResourceOptions['actions'], write: ReturnType<typeof can>): ResourceOptions['actions'] {
  return Object.fromEntries(Object.entries(actions ?? {}).map(([name, action]) => [name, { isAccessible: write, ...action }]));
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** AdminJS resource options for one entity: access by role, hide instead of delete, CSV export. */
export function adminResource(spec: AdminResourceSpec, services: AdminActionServices): ResourceWithOptions {
  const { group } = spec;
  const read = can(group, 'read');
  const write = can(group, 'write');
  return {
    resource: spec.resource,
    options: {
      navigation: spec.navigation,
      // AdminJS merges these as arrays: a key present with an undefined value breaks it.
      ...definedOnly({
        titleProperty: spec.titleProperty,
        listProperties: spec.listProperties,
        filterProperties: spec.filterProperties,
        showProperties: spec.showProperties,
        editProperties: spec.editProperties,
        sort: spec.sort,
      }),
      properties: {
        createdAt: { isVisible: { list: false, filter: true, show: true, edit: false } },
        updatedAt: { isVisible: { list: false, filter: true, show: true, edit: false } },
        ...(spec.hideable ? { hidden: { isVisible: { list: true, filter: true, show: true, edit: false } } } : {}),
        ...spec.properties,
      },
      actions: {
        list: { isAccessible: read },
        show: { isAccessible: read },
        search: { isAccessible: read },
        new: { isAccessible: write },
        edit: { isAccessible: write },
        delete: NO_ACTION,
        bulkDelete: NO_ACTION,
        exportCsv: exportCsvAction(group),
        ...(spec.hideable
          ? {
              hide: visibilityAction(true, 'record', group),
              unhide: visibilityAction(false, 'record', group),
              bulkHide: visibilityAction(true, 'bulk', group),
              bulkUnhide: visibilityAction(false, 'bulk', group),
            }
          : {}),
        ...(spec.image ? { uploadImage: uploadImageAction(group, spec.image, services.images) } : {}),
        ...withAccess(spec.actions, write),
      },
    },
  };
}
