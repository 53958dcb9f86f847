import 'reflect-metadata';
import { runProcess } from '@wangge/startup';
import { createFeedApp } from './feed.app';

runProcess('feed', (config) => createFeedApp(config), (config) => config.ports.feed);
