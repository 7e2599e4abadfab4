import React, { useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, H4, Label, Text } from '@adminjs/design-system';

const api = new ApiClient();

/** Replaces a record's image (logo, photo, thumbnail): the server resizes it and stores every size. */
const ImageUpload = ({ record, resource, action }: ActionProps) => {
  const addNotice = useNotice();
  const imageProperty = (action.custom as { imageProperty: string }).imageProperty;
  const [current, setCurrent] = useState<string | undefined>(record?.params[imageProperty]);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const upload = async () => {
    if (!file || !record) return;
    setBusy(true);
    const data = new FormData();
    data.append('image', file);
    try {
      const response = await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, data, method: 'post' });
      const url = response.data.record?.params?.[imageProperty];
      setCurrent(url);
      addNotice({ message: 'Image saved in every size', type: 'success' });
    } catch (error) {
      const body = (error as { response?: { data?: { message?: string } } }).response?.data;
      addNotice({ message: body?.message ?? 'Upload failed', type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Box variant="white">
      <H4>{record?.title}</H4>
      {current ? <img src={current} alt="current" style={{ maxWidth: 256, maxHeight: 256, display: 'block', marginBottom: 16 }} data-testid="current-image" /> : <Text mb="lg">No image yet.</Text>}
      <Label htmlFor="image-file">PNG, JPEG, WebP, GIF or AVIF</Label>
      <input id="image-file" type="file" accept="image/png,image/jpeg,image/webp,image/gif,image/avif" onChange={(event) => setFile(event.target.files?.[0] ?? null)} />
      <Box mt="lg">
        <Button variant="contained" onClick={upload} disabled={!file || busy} data-testid="upload-image">
          {busy ? 'Uploading…' : 'Upload'}
        </Button>
      </Box>
    </Box>
  );
};

export default ImageUpload;
