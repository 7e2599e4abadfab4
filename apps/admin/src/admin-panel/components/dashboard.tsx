import React, { useEffect, useState } from 'react';
import { ApiClient, ViewHelpers } from 'adminjs';
import { Box, H2, H4, Link, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
// Types only: removed when AdminJS bundles this file for the browser.
import type { DashboardEdit, DashboardMatch } from '../../dashboard/dashboard.repository.js';

interface DashboardData {
  live: DashboardMatch[];
  upcoming: DashboardMatch[];
  recentEdits: DashboardEdit[];
  canRunConsole: boolean;
}

const api = new ApiClient();
const h = new ViewHelpers();

const consoleUrl = (id: string) => h.recordActionUrl({ resourceId: 'Match', recordId: id, actionName: 'liveConsole' });
const showUrl = (id: string) => h.recordActionUrl({ resourceId: 'Match', recordId: id, actionName: 'show' });

function MatchTable({ matches, canRunConsole, empty }: { matches: DashboardMatch[]; canRunConsole: boolean; empty: string }) {
  if (!matches.length) return <Text mb="xl">{empty}</Text>;
  return (
    <Table mb="xl">
      <TableHead>
        <TableRow>
          <TableCell>Match</TableCell>
          <TableCell>Starts</TableCell>
          <TableCell>Score</TableCell>
          <TableCell>Period</TableCell>
          <TableCell />
        </TableRow>
      </TableHead>
      <TableBody>
        {matches.map((match) => (
          <TableRow key={match.id} data-testid={`dashboard-match-${match.id}`}>
            <TableCell>
              <Link href={showUrl(match.id)}>{match.title}</Link>
            </TableCell>
            <TableCell>{new Date(match.startsAt).toLocaleString()}</TableCell>
            <TableCell>
              {match.awayScore} – {match.homeScore}
            </TableCell>
            <TableCell>{match.period ?? '–'}</TableCell>
            <TableCell>{canRunConsole ? <Link href={consoleUrl(match.id)}>Live console</Link> : null}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

const Dashboard = () => {
  const [data, setData] = useState<DashboardData | null>(null);
  useEffect(() => {
    api.getDashboard().then((response) => setData(response.data as DashboardData));
  }, []);
  if (!data) return <Box variant="grey">Loading…</Box>;
  return (
    <Box variant="grey">
      <Box variant="white" mb="xl">
        <H2>Live now</H2>
        <MatchTable matches={data.live} canRunConsole={data.canRunConsole} empty="No match is live." />
        <H4>Coming up</H4>
        <MatchTable matches={data.upcoming} canRunConsole={data.canRunConsole} empty="Nothing scheduled." />
      </Box>
      {data.recentEdits.length > 0 && (
        <Box variant="white">
          <H4>Recent edits</H4>
          <Table>
            <TableHead>
              <TableRow>
                <TableCell>When</TableCell>
                <TableCell>Who</TableCell>
                <TableCell>What</TableCell>
                <TableCell>Record</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.recentEdits.map((edit, index) => (
                <TableRow key={index}>
                  <TableCell>{new Date(edit.at).toLocaleString()}</TableCell>
                  <TableCell>{edit.editor ?? 'system'}</TableCell>
                  <TableCell>
                    {edit.action} {edit.resource}
                  </TableCell>
                  <TableCell>{edit.recordId}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
    </Box>
  );
};

export default Dashboard;
