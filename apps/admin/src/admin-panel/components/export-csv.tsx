import React, { useState } from 'react';
import { ApiClient, type ActionProps } from 'adminjs';
import { Box, Button, H4, Text } from '@adminjs/design-system';

const api = new ApiClient();

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Downloads what the list shows, with the list's filters, as CSV. */
const ExportCsv = ({ resource }: ActionProps) => {
  const [state, setState] = useState<'idle' | 'working' | 'done'>('idle');
  const [note, setNote] = useState('');
  const download = async () => {
    setState('working');
    const params = Object.fromEntries(new URLSearchParams(window.location.search));
    const response = await api.resourceAction({ resourceId: resource.id, actionName: 'exportCsv', params });
    const { columns, rows, truncated } = response.data as { columns: string[]; rows: Record<string, unknown>[]; truncated: boolean };
    const lines = [columns.map(csvCell).join(','), ...rows.map((row) => columns.map((column) => csvCell(row[column])).join(','))];
    const url = URL.createObjectURL(new Blob([`${lines.join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${resource.id}-${new Date().toISOString().slice(0, 10)}.csv`;
    link.click();
    URL.revokeObjectURL(url);
    setNote(`${rows.length} rows${truncated ? ' (the first ones only: narrow the filters for the rest)' : ''}.`);
    setState('done');
  };
  return (
    <Box variant="white">
      <H4>Export {resource.name} as CSV</H4>
      <Text mb="lg">The current list filters apply. References are exported by name.</Text>
      <Button variant="contained" onClick={download} disabled={state === 'working'} data-testid="export-csv">
        {state === 'working' ? 'Preparing…' : 'Download CSV'}
      </Button>
      {note && <Text mt="lg">{note}</Text>}
    </Box>
  );
};

export default ExportCsv;
