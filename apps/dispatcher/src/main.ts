import 'reflect-metadata';
import { runProcess } from '@wangge/startup';
import { createDispatcherApp } from './dispatcher.app';

runProcess('dispatcher', (config) => createDispatcherApp(config), (config) => config.ports.dispatcher);
