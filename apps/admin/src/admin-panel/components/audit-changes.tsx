import React from 'react';
import { flat, type ShowPropertyProps } from 'adminjs';
import { Table, TableBody, TableCell, TableHead, TableRow, ValueGroup } from '@adminjs/design-system';

const show = (value: unknown) => (value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** An audit entry's changed fields, before beside after. */
const AuditChanges = ({ record, property }: ShowPropertyProps) => {
  const changes = (flat.get(record.params, property.path) ?? {}) as { before?: Record<string, unknown>; after?: Record<string, unknown> } & Record<string, unknown>;
  const { before = {}, after = {}, ...other } = changes;
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return (
    <ValueGroup label="Changes">
      <Table>
        <TableHead>
          <TableRow>
            <TableCell>Field</TableCell>
            <TableCell>Before</TableCell>
            <TableCell>After</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {fields.map((field) => (
            <TableRow key={field}>
              <TableCell>{field}</TableCell>
              <TableCell>{show(before[field])}</TableCell>
              <TableCell>{show(after[field])}</TableCell>
            </TableRow>
          ))}
          {Object.entries(other).map(([key, value]) => (
            <TableRow key={key}>
              <TableCell>{key}</TableCell>
              <TableCell colSpan={2}>{show(value)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </ValueGroup>
  );
};

export default AuditChanges;
