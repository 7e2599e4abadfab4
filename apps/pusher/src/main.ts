import 'reflect-metadata';
import { bootstrapApp } from '@app/bootstrap';
import { PusherModule } from './pusher.module.js';

await bootstrapApp({ name: 'pusher', module: PusherModule, port: (config) => config.PUSHER_PORT });
