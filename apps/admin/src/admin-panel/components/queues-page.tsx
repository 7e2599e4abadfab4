import React from 'react';
import { useCurrentAdmin } from 'adminjs';
import { Box, H3, Link, Text } from '@adminjs/design-system';

const OPS_URL = `${(window as unknown as { REDUX_STATE: { paths: { rootPath: string } } }).REDUX_STATE.paths.rootPath}/ops`;

/**
 * The importer's and pusher's queues (bull-board at /admin/ops). AdminJS 7
 * lists pages for every role; the server refuses the board to non-admins.
 */
const QueuesPage = () => {
  const [currentAdmin] = useCurrentAdmin();
  if (currentAdmin?.role !== 'admin') return <Box variant="white">The queues page is for admins.</Box>;
  return (
    <Box variant="grey">
      <Box variant="white" mb="md" flex justifyContent="space-between" alignItems="center">
        <H3 mb="0">Queues</H3>
        <Text>
          <Link href={OPS_URL} target="_blank" rel="noreferrer">
            Open in its own tab
          </Link>
        </Text>
      </Box>
      <iframe title="queues" src={OPS_URL} style={{ width: '100%', height: 'calc(100vh - 220px)', border: 0, background: 'white' }} />
    </Box>
  );
};

export default QueuesPage;
