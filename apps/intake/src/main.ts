import 'reflect-metadata';
import { runProcess } from '@wangge/startup';
import { createIntakeApp } from './intake.app';

runProcess('intake', (config) => createIntakeApp(config), (config) => config.ports.intake);
