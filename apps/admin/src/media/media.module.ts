import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ImageProcessor } from './image-processor.service.js';
import { ImageStorage } from './image-storage.js';
import { LocalDirectoryImageStorage } from './local-directory.image-storage.js';
import { MediaController } from './media.controller.js';

/** Editors' image uploads: processing into variants, storage, and serving them under /media. */
@Module({
  controllers: [MediaController],
  providers: [
    {
      provide: ImageStorage,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new LocalDirectoryImageStorage(config.MEDIA_DIR, config.MEDIA_PUBLIC_URL),
    },
    ImageProcessor,
  ],
  exports: [ImageProcessor, ImageStorage],
})
export class MediaModule {}
