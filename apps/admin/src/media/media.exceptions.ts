import { HttpStatus } from '@nestjs/common';
import { DomainException } from '@app/bootstrap';

/** Any reason an upload is refused; catch this one to handle them all. */
export abstract class ImageRejectedException extends DomainException {}

export class NotAnImageException extends ImageRejectedException {
  constructor(reason: 'unreadable' | 'damaged') {
    super(
      'image_not_an_image',
      HttpStatus.BAD_REQUEST,
      reason === 'unreadable' ? 'the file is not an image' : 'the image could not be decoded: the file is damaged or truncated',
    );
  }
}

export class UnsupportedImageFormatException extends ImageRejectedException {
  constructor(format: string, accepted: readonly string[]) {
    super('image_unsupported_format', HttpStatus.UNSUPPORTED_MEDIA_TYPE, `${format} images are not accepted: upload ${accepted.join(', ')}`, {
      format,
      accepted,
    });
  }
}

export class ImageTooLargeException extends ImageRejectedException {
  constructor(bytes: number, maxBytes: number) {
    super('image_too_large', HttpStatus.PAYLOAD_TOO_LARGE, `the file has ${bytes} bytes; at most ${maxBytes} are accepted`, { bytes, maxBytes });
  }
}

/** Refused from the header alone: a few kilobytes of PNG can decode to gigabytes. */
export class ImageTooManyPixelsException extends ImageRejectedException {
  constructor(width: number, height: number, maxPixels: number) {
    super('image_too_many_pixels', HttpStatus.UNPROCESSABLE_ENTITY, `the image is ${width}×${height} pixels; at most ${maxPixels} pixels are accepted`, {
      width,
      height,
      maxPixels,
    });
  }
}

export class InvalidMediaKeyException extends DomainException {
  constructor(key: string) {
    super('media_key_invalid', HttpStatus.BAD_REQUEST, `"${key}" is not a media key`);
  }
}

export class MediaNotFoundException extends DomainException {
  constructor(key: string) {
    super('media_not_found', HttpStatus.NOT_FOUND, `nothing is stored under "${key}"`);
  }
}
